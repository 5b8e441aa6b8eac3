"""The contracts service publishes ContractSigned, ContractAmended and ContractTerminated once Contract exists."""

PUBLISHES: list = []
