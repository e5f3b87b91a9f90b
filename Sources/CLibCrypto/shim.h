#ifndef CLIBCRYPTO_SHIM_H
#define CLIBCRYPTO_SHIM_H
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/err.h>
#include <openssl/hmac.h>

// EVP_RSA_gen is a macro over a variadic function: Swift sees this instead.
static inline EVP_PKEY *clibcrypto_rsa_generate(unsigned int bits) { return EVP_RSA_gen(bits); }
#endif
