package dev.gyre.config;

/** How JWTs are verified: connection tokens, or subscription tokens when configured apart. */
public record TokenConfig(String hmacSecretKey, String rsaPublicKey, String ecdsaPublicKey, String jwksPublicEndpoint,
                          String audience, String audienceRegex, String issuer, String issuerRegex,
                          String userIdClaim) {

  /** Whether any verification key is configured. */
  public boolean hasKey() {
    return !hmacSecretKey.isEmpty() || !rsaPublicKey.isEmpty() || !ecdsaPublicKey.isEmpty()
        || !jwksPublicEndpoint.isEmpty();
  }

  static TokenConfig parse(ConfigValues v, String prefix) {
    String claim = v.string(prefix + "user_id_claim", "sub");
    if (!claim.matches("^[a-zA-Z_]+$")) throw new ConfigException(prefix + "user_id_claim", "must match ^[a-zA-Z_]+$");
    return new TokenConfig(v.string(prefix + "hmac_secret_key", ""), v.string(prefix + "rsa_public_key", ""),
        v.string(prefix + "ecdsa_public_key", ""), v.string(prefix + "jwks_public_endpoint", ""),
        v.string(prefix + "audience", ""), v.string(prefix + "audience_regex", ""),
        v.string(prefix + "issuer", ""), v.string(prefix + "issuer_regex", ""), claim);
  }
}
