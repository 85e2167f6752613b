# Sourced by scripts/serve and .ci/run: make sure a Redis server answers on 127.0.0.1:$REDIS_PORT
# (default 6379); start Debian's redis-server when none does, installing it first when missing
# and running as root. Idempotent.
redis_answers() {
  # PING without redis-cli: bash's /dev/tcp is enough.
  local port="$1" reply=""
  { exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null || return 1
  printf 'PING\r\n' >&3
  read -r -t 2 reply <&3 || true
  exec 3>&- 3<&-
  [[ "$reply" == +PONG* ]]
}

ensure_redis() {
  local port="${REDIS_PORT:-6379}"
  redis_answers "$port" && return 0
  if ! command -v redis-server >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      echo "Installing Debian's redis-server (rate limits shared by every worker)…"
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
    else
      echo "No Redis answers on 127.0.0.1:$port and redis-server is missing: install it" \
           "(apt-get install redis-server), set RATELIMIT_STORAGE_URI, or run WORKERS=1." >&2
      return 1
    fi
  fi
  mkdir -p instance
  echo "Starting redis-server on 127.0.0.1:$port (log: instance/redis.log)…"
  redis-server --bind 127.0.0.1 --port "$port" --daemonize yes --save "" --appendonly no \
    --dir "$PWD/instance" --logfile "$PWD/instance/redis.log" >/dev/null
  for _ in $(seq 1 20); do redis_answers "$port" && return 0; sleep 0.5; done
  echo "redis-server did not answer on 127.0.0.1:$port (see instance/redis.log)." >&2
  return 1
}
