#!/bin/sh
# rahdari tests: a small PKI for the pack-signature tests, made with the openssl command.
#
# Usage: sh tests/packsig_pki.sh DIR
#
# Writes into DIR (which must exist):
#   ca.pem ca.key             root CA (EC P-256), valid 2020-01-01 .. 2099-12-31
#   inter.pem inter.key       intermediate CA under the root, same validity
#   signer.pem signer.key     code-signing certificate of the root (EC), same validity
#   signer-enc.key            signer.key encrypted with the passphrase "secret pass"
#   rsa.pem rsa.key           code-signing certificate of the root (RSA 2048)
#   chained.pem chained.key   code-signing certificate of the intermediate
#   expired.pem expired.key   code-signing certificate of the root, 2020-01-01 .. 2021-01-01
#   revoked.pem revoked.key   code-signing certificate of the root, revoked in crl.pem
#   server.pem server.key     a TLS server certificate of the root (not meant for signing)
#   weak.pem weak.key         code-signing certificate of the root with an RSA 1024 key
#   outsider.pem outsider.key a self-signed code-signing certificate, trusted by no one
#   crl.pem crl.der           the root's CRL (PEM and DER), revoking revoked.pem
#   trustdir/root.pem         the root alone, in a directory
# Exit status 0, or 1 with openssl's messages on a failure.
# SPDX-License-Identifier: MIT
set -eu
d=${1:?usage: packsig_pki.sh DIR}
cd "$d"
command -v openssl >/dev/null 2>&1 || { echo "packsig_pki.sh: no openssl command" >&2; exit 1; }
exec 3>pki.log
log() { "$@" >&3 2>&1 || { cat pki.log >&2; echo "packsig_pki.sh: failed: $*" >&2; exit 1; }; }

# one configuration for both CAs (each with its own database directory)
conf() { # conf NAME
	mkdir -p "$1.db/new"
	: > "$1.db/index.txt"
	echo 1000 > "$1.db/serial"
	echo 1000 > "$1.db/crlnumber"
	cat > "$1.cnf" <<EOF
[ ca ]
default_ca = CA_default
[ CA_default ]
dir = $1.db
database = \$dir/index.txt
new_certs_dir = \$dir/new
serial = \$dir/serial
crlnumber = \$dir/crlnumber
default_md = sha256
default_days = 3650
default_crl_days = 36500
policy = policy_any
unique_subject = no
copy_extensions = none
[ policy_any ]
commonName = supplied
organizationName = optional
[ req ]
distinguished_name = dn
prompt = no
[ dn ]
CN = unused
[ v3_ca ]
basicConstraints = critical, CA:true
keyUsage = critical, keyCertSign, cRLSign, digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ v3_signer ]
basicConstraints = CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = codeSigning
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ v3_self ]
basicConstraints = CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = codeSigning
subjectKeyIdentifier = hash
[ v3_server ]
basicConstraints = CA:false
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
EOF
}

eckey() { log openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key"; }
rsakey() { log openssl genpkey -algorithm RSA -pkeyopt "rsa_keygen_bits:$2" -out "$1.key"; }

# issue CA NAME SUBJECT EXTENSIONS START END
issue() {
	log openssl req -new -config "$1.cnf" -key "$2.key" -subj "$3" -out "$2.csr"
	log openssl ca -batch -notext -config "$1.cnf" -cert "$1.pem" -keyfile "$1.key" \
		-in "$2.csr" -out "$2.pem" -extensions "$4" -startdate "$5" -enddate "$6"
	rm -f "$2.csr"
}

START=20200101000000Z
END=20991231235959Z

conf ca
eckey ca
log openssl req -new -config ca.cnf -key ca.key -subj "/O=rahdari tests/CN=Test Root CA" -out ca.csr
log openssl ca -batch -notext -selfsign -config ca.cnf -keyfile ca.key -in ca.csr -out ca.pem \
	-extensions v3_ca -startdate "$START" -enddate "$END"
rm -f ca.csr

eckey inter
issue ca inter "/O=rahdari tests/CN=Test Intermediate CA" v3_ca "$START" "$END"
conf inter

eckey signer
issue ca signer "/O=rahdari tests/CN=Rule Pack Signer" v3_signer "$START" "$END"
log openssl pkey -in signer.key -aes256 -passout "pass:secret pass" -out signer-enc.key
rsakey rsa 2048
issue ca rsa "/O=rahdari tests/CN=RSA Signer" v3_signer "$START" "$END"
eckey chained
issue inter chained "/O=rahdari tests/CN=Chained Signer" v3_signer "$START" "$END"
eckey expired
issue ca expired "/O=rahdari tests/CN=Expired Signer" v3_signer "$START" 20210101000000Z
eckey revoked
issue ca revoked "/O=rahdari tests/CN=Revoked Signer" v3_signer "$START" "$END"
eckey server
issue ca server "/O=rahdari tests/CN=www.example.pk" v3_server "$START" "$END"
rsakey weak 1024
issue ca weak "/O=rahdari tests/CN=Weak Signer" v3_signer "$START" "$END"

eckey outsider
log openssl req -new -x509 -config ca.cnf -key outsider.key -subj "/O=elsewhere/CN=Outsider" \
	-days 36500 -extensions v3_self -out outsider.pem

log openssl ca -batch -config ca.cnf -cert ca.pem -keyfile ca.key -revoke revoked.pem \
	-crl_reason keyCompromise
log openssl ca -batch -config ca.cnf -cert ca.pem -keyfile ca.key -gencrl -out crl.pem
log openssl crl -in crl.pem -outform DER -out crl.der

mkdir -p trustdir
cp ca.pem trustdir/root.pem
echo "not a certificate, ignored" > trustdir/README
exit 0
