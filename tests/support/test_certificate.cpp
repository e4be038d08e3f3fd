// The certificate of the STARTTLS and SMTPS tests, made with OpenSSL's library at test time so
// that the suite needs no openssl command and no certificate checked into the repository.
#include "tests/support/smtp_test_server.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <memory>
#include <stdexcept>
#include <utility>

namespace paperbot::testing {
namespace {

struct FileCloser {
  void operator()(std::FILE* file) const { std::fclose(file); }
};

void check(bool ok, const char* step) {
  if (!ok) throw std::runtime_error(std::string("making the test certificate failed: ") + step);
}

void add_extension(X509* cert, int nid, const char* value) {
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, cert, cert, nullptr, nullptr, 0);
  X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &context, nid, value);
  check(extension != nullptr, "extension");
  X509_add_ext(cert, extension, -1);
  X509_EXTENSION_free(extension);
}

}  // namespace

TestCertificate make_test_certificate(const std::filesystem::path& dir) {
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_EC_gen("P-256"), &EVP_PKEY_free);
  check(key != nullptr, "key");
  std::unique_ptr<X509, decltype(&X509_free)> cert(X509_new(), &X509_free);
  check(cert != nullptr, "certificate");

  X509_set_version(cert.get(), 2);  // X.509 v3, for the extensions
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 24 * 3600);
  X509_set_pubkey(cert.get(), key.get());
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  add_extension(cert.get(), NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1");
  add_extension(cert.get(), NID_basic_constraints, "critical,CA:TRUE");
  add_extension(cert.get(), NID_key_usage, "critical,digitalSignature,keyCertSign");
  check(X509_sign(cert.get(), key.get(), EVP_sha256()) > 0, "signature");

  TestCertificate files{dir / "test-cert.pem", dir / "test-key.pem"};
  std::unique_ptr<std::FILE, FileCloser> cert_file(std::fopen(files.cert.c_str(), "w"));
  std::unique_ptr<std::FILE, FileCloser> key_file(std::fopen(files.key.c_str(), "w"));
  check(cert_file && key_file, "open files");
  check(PEM_write_X509(cert_file.get(), cert.get()) == 1, "write certificate");
  check(PEM_write_PrivateKey(key_file.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) == 1,
        "write key");
  return files;
}

}  // namespace paperbot::testing
