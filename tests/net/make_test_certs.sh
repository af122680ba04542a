#!/bin/sh
# Makes the throwaway certificates the TLS tests and the TLS demo use, in DIR (never committed):
#   ca.pem ca.key            a local CA
#   server.pem server.key    localhost (DNS:localhost, IP:127.0.0.1), RSA-2048, signed by the CA
#   ecdsa.pem ecdsa.key      the same name on a P-256 key (ECDHE-ECDSA)
#   expired.pem expired.key  localhost, signed by the CA, valid only in 2020
#   other-ca.pem             another CA, and stranger.pem stranger.key: localhost signed by it
# Usage: make_test_certs.sh DIR   (needs Debian's openssl)
set -eu
dir="$1"
mkdir -p "$dir"
cd "$dir"
quiet() { "$@" >/dev/null 2>&1 || { echo "make_test_certs.sh: failed: $*" >&2; "$@"; exit 1; }; }
ext="subjectAltName=DNS:localhost,IP:127.0.0.1"
quiet openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=weft test CA" -keyout ca.key -out ca.pem
quiet openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=weft other CA" -keyout other-ca.key \
  -out other-ca.pem
sign() {  # sign NAME CA KEYSPEC
  quiet openssl req -newkey "$3" -nodes -subj "/CN=localhost" -keyout "$1.key" -out "$1.csr"
  quiet openssl x509 -req -in "$1.csr" -CA "$2.pem" -CAkey "$2.key" -CAcreateserial -days 30 \
    -extfile /dev/stdin -out "$1.pem" <<X
$ext
X
}
sign server ca rsa:2048
sign stranger other-ca rsa:2048
quiet openssl ecparam -name prime256v1 -out p256.param
sign ecdsa ca ec:p256.param
# Expired: `openssl ca` is the one that takes explicit dates.
quiet openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout expired.key -out expired.csr
mkdir -p ca-db
: > ca-db/index.txt
echo 01 > ca-db/serial
cat > ca-db/ca.cnf <<X
[ca]
default_ca = test
[test]
database = ca-db/index.txt
serial = ca-db/serial
new_certs_dir = ca-db
default_md = sha256
policy = any
copy_extensions = none
x509_extensions = ext
[any]
commonName = supplied
[ext]
$ext
X
quiet openssl ca -batch -config ca-db/ca.cnf -cert ca.pem -keyfile ca.key -in expired.csr -out expired.pem \
  -startdate 20200101000000Z -enddate 20200102000000Z -notext
echo "certificates in $dir"
