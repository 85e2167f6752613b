# Sourced by scripts/serve-multi and scripts/test: Debian's nginx, installed when it is missing and
# we are root (it is not started as a service: each user runs their own with `nginx -p DIR`).
ensure_nginx() {
  command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian's nginx…"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null
  else
    echo "nginx is missing (apt-get install nginx)." >&2
    return 1
  fi
}

# A self-signed certificate for localhost and 127.0.0.1 in folder $1 (local trials and tests only).
ensure_local_certificate() {
  local folder="$1"
  [ -s "$folder/localhost.pem" ] && [ -s "$folder/localhost.key" ] && return 0
  openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj /CN=localhost \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
    -keyout "$folder/localhost.key" -out "$folder/localhost.pem" 2>/dev/null
  chmod 600 "$folder/localhost.key"
}
