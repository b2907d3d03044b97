#!/bin/bash
# The db service's entrypoint (after the official postgres image's, in brief): as root, make the
# data directory the postgres user's and run again as that user; as postgres, initialise an
# empty data directory once (superuser POSTGRES_USER with POSTGRES_PASSWORD, database
# POSTGRES_DB, then the *.sql and *.sh files of /docker-entrypoint-initdb.d in name order, against
# a server that listens on its socket only), then exec the server.
set -Eeuo pipefail

if [[ ${1:0:1} == - ]]; then
  set -- postgres "$@"
fi

if [[ $1 == postgres && $(id -u) == 0 ]]; then
  mkdir -p "$PGDATA"
  chmod 700 "$PGDATA"
  find "$PGDATA" \! -user postgres -exec chown postgres:postgres '{}' +
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$BASH_SOURCE" "$@"
fi

if [[ $1 == postgres && ! -s $PGDATA/PG_VERSION ]]; then
  if [[ -z ${POSTGRES_PASSWORD:-} ]]; then
    echo "db: the data directory is empty and POSTGRES_PASSWORD is not set: set it in the service's environment" >&2
    exit 1
  fi
  user=${POSTGRES_USER:-postgres}
  db=${POSTGRES_DB:-$user}
  echo "db: initialising $PGDATA (superuser $user, database $db)"
  initdb --username="$user" --pwfile=<(printf '%s\n' "$POSTGRES_PASSWORD") \
    --auth-local=trust --auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 -D "$PGDATA"
  printf "\nlisten_addresses = '*'\n" >>"$PGDATA/postgresql.conf"
  printf 'host all all all scram-sha-256\n' >>"$PGDATA/pg_hba.conf"

  # A server for the init scripts only: on the socket, not the network, so that nobody connects
  # before initialisation is over.
  pg_ctl -D "$PGDATA" -o "-c listen_addresses=''" -w start
  psql=(psql -v ON_ERROR_STOP=1 --no-psqlrc --username "$user" --dbname postgres)
  if [[ $db != postgres ]]; then
    "${psql[@]}" --set db="$db" <<<'CREATE DATABASE :"db";'
  fi
  for f in /docker-entrypoint-initdb.d/*; do
    case $f in
      *.sql) echo "db: running $f"; "${psql[@]}" --dbname "$db" -f "$f" ;;
      *.sh) echo "db: running $f"; . "$f" ;;
      *) [[ -e $f ]] && echo "db: ignoring $f" ;;
    esac
  done
  pg_ctl -D "$PGDATA" -m fast -w stop
  echo "db: initialised; starting the server"
fi

exec "$@"
