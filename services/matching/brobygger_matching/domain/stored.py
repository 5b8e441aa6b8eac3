"""Where the aggregates' events are stored: under topics naming the domain package
(`brobygger_matching.domain:Match.Proposed`), as they were first stored before the domain was split into
modules, so the stored log still resolves."""

TOPIC_MODULE = "brobygger_matching.domain"
