#!/usr/bin/env bash
# Creates Brobygger's topics on Apache Kafka before any service touches them (the broker runs with
# auto.create.topics.enable=false): brobygger.<service>.events and brobygger.<service>.events.dlq for
# each of the seven services, with a fixed partition count, replication factor 1, and retention.ms=-1
# (the log is kept forever). Safe to run again: existing topics are left alone, but a topic whose
# partition count differs from what the services expect fails the job (one without the retention
# override gets it).
#
# Runs in the apache/kafka image (the `kafka-init` job in docker-compose.yml).
set -euo pipefail

BOOTSTRAP_SERVER="${BOOTSTRAP_SERVER:-kafka:9092}"
PARTITIONS="${TOPIC_PARTITIONS:-4}"
REPLICATION_FACTOR="${TOPIC_REPLICATION_FACTOR:-1}"
KAFKA_BIN="${KAFKA_BIN:-/opt/kafka/bin}"
SERVICES=(applications matching contracts payroll notifications archive gateway)

topics=()
for service in "${SERVICES[@]}"; do
    topics+=("brobygger.${service}.events")
done
for service in "${SERVICES[@]}"; do
    topics+=("brobygger.${service}.events.dlq")
done

echo "Waiting for Kafka at ${BOOTSTRAP_SERVER}..."
for attempt in $(seq 1 30); do
    if "${KAFKA_BIN}/kafka-broker-api-versions.sh" --bootstrap-server "${BOOTSTRAP_SERVER}" >/dev/null 2>&1; then
        break
    fi
    if [[ "${attempt}" -eq 30 ]]; then
        echo "Kafka at ${BOOTSTRAP_SERVER} did not answer" >&2
        exit 1
    fi
    sleep 2
done

for topic in "${topics[@]}"; do
    echo "Creating ${topic} (partitions=${PARTITIONS}, replication=${REPLICATION_FACTOR}, retention.ms=-1)"
    "${KAFKA_BIN}/kafka-topics.sh" --bootstrap-server "${BOOTSTRAP_SERVER}" \
        --create --if-not-exists \
        --topic "${topic}" \
        --partitions "${PARTITIONS}" \
        --replication-factor "${REPLICATION_FACTOR}" \
        --config retention.ms=-1
done

# Check what is there now (one call for all topics), including topics made earlier by other means.
description="$("${KAFKA_BIN}/kafka-topics.sh" --bootstrap-server "${BOOTSTRAP_SERVER}" \
    --describe --topic 'brobygger\..*')"
failed=0
for topic in "${topics[@]}"; do
    line="$(grep -E "^Topic: ${topic//./\\.}[[:space:]]" <<<"${description}" || true)"
    if [[ -z "${line}" ]]; then
        echo "MISSING: ${topic}" >&2
        failed=1
        continue
    fi
    count="$(sed -nE 's/.*PartitionCount: ([0-9]+).*/\1/p' <<<"${line}")"
    if [[ "${count}" != "${PARTITIONS}" ]]; then
        echo "WRONG PARTITION COUNT: ${topic} has ${count}, expected ${PARTITIONS}" >&2
        failed=1
    fi
    if ! grep -q 'retention.ms=-1' <<<"${line}"; then
        # Made by someone else without the override: keep its log forever too.
        echo "Setting retention.ms=-1 on ${topic}"
        "${KAFKA_BIN}/kafka-configs.sh" --bootstrap-server "${BOOTSTRAP_SERVER}" \
            --alter --entity-type topics --entity-name "${topic}" --add-config retention.ms=-1
    fi
done
if [[ "${failed}" -ne 0 ]]; then
    exit 1
fi
echo "All ${#topics[@]} topics present with ${PARTITIONS} partitions and retention.ms=-1."
