#!/usr/bin/env bash
# Runs once, from /docker-entrypoint-initdb.d, when the official postgres image initialises an empty
# data directory (it does not run again on an existing volume).
#
# One database and one login role per service: brobygger_<service>, owned by <service>. The role's
# password comes from <SERVICE>_DB_PASSWORD (docker-compose.yml passes the same variable to the
# service inside its DATABASE_URL). Other roles may not connect to a service's database.
set -euo pipefail

# "keys" is the key vault of crypto-shredding (docs/privacy.md): database brobygger_keys, role keys, which
# every service reaches through KEY_VAULT_URL.
services=(applications matching contracts payroll notifications archive gateway keys)

for service in "${services[@]}"; do
    password_var="${service^^}_DB_PASSWORD"
    password="${!password_var:-${service}-dev-password}"
    echo "brobygger: creating role ${service} and database brobygger_${service}"
    psql --no-psqlrc -v ON_ERROR_STOP=1 \
        --username "${POSTGRES_USER:-postgres}" --dbname "${POSTGRES_DB:-postgres}" \
        --set=role="${service}" --set=password="${password}" --set=db="brobygger_${service}" <<'SQL'
CREATE ROLE :"role" WITH LOGIN PASSWORD :'password';
CREATE DATABASE :"db" WITH OWNER :"role" ENCODING 'UTF8' TEMPLATE template0;
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
GRANT ALL PRIVILEGES ON DATABASE :"db" TO :"role";
SQL
done
