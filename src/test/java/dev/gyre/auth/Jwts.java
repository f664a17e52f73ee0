package dev.gyre.auth;

import io.vertx.core.json.JsonObject;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;

/** Builds compact JWS tokens by hand, so the tests do not depend on the code under test. */
final class Jwts {
  private Jwts() {}

  static String b64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  static String b64(String text) {
    return b64(text.getBytes(StandardCharsets.UTF_8));
  }

  static String signingInput(String alg, JsonObject claims) {
    return b64(new JsonObject().put("alg", alg).put("typ", "JWT").encode()) + "." + b64(claims.encode());
  }

  /** A token whose header names a key id (JWKS). */
  static String withKid(String alg, String kid, PrivateKey key, JsonObject claims) {
    String input = b64(new JsonObject().put("alg", alg).put("typ", "JWT").put("kid", kid).encode()) + "." + b64(claims.encode());
    byte[] sig = switch (alg) {
      case "RS256" -> sign("SHA256withRSA", key, input);
      case "ES256" -> derToJose(sign("SHA256withECDSA", key, input), 32);
      case "HS256" -> hmacBytes("HS256", key.getEncoded(), input);
      default -> throw new IllegalArgumentException(alg);
    };
    return input + "." + b64(sig);
  }

  /** The public JWK of an RSA or P-256 EC key, with its key id and no alg. */
  static JsonObject jwk(String kid, PublicKey key) {
    if (key instanceof java.security.interfaces.RSAPublicKey r) {
      return new JsonObject().put("kty", "RSA").put("kid", kid).put("use", "sig")
          .put("n", b64(unsigned(r.getModulus()))).put("e", b64(unsigned(r.getPublicExponent())));
    }
    java.security.interfaces.ECPublicKey e = (java.security.interfaces.ECPublicKey) key;
    return new JsonObject().put("kty", "EC").put("kid", kid).put("crv", "P-256")
        .put("x", b64(fixed(e.getW().getAffineX(), 32))).put("y", b64(fixed(e.getW().getAffineY(), 32)));
  }

  private static byte[] unsigned(java.math.BigInteger n) {
    byte[] b = n.toByteArray();
    return b[0] == 0 && b.length > 1 ? Arrays.copyOfRange(b, 1, b.length) : b;
  }

  private static byte[] fixed(java.math.BigInteger n, int size) {
    byte[] b = unsigned(n);
    byte[] out = new byte[size];
    System.arraycopy(b, 0, out, size - b.length, b.length);
    return out;
  }

  static String hmac(String alg, String secret, JsonObject claims) {
    String input = signingInput(alg, claims);
    return input + "." + b64(hmacBytes(alg, secret.getBytes(StandardCharsets.UTF_8), input));
  }

  static byte[] hmacBytes(String alg, byte[] secret, String input) {
    String javaAlg = switch (alg) {
      case "HS256" -> "HmacSHA256";
      case "HS384" -> "HmacSHA384";
      case "HS512" -> "HmacSHA512";
      default -> throw new IllegalArgumentException(alg);
    };
    try {
      Mac mac = Mac.getInstance(javaAlg);
      mac.init(new SecretKeySpec(secret, javaAlg));
      return mac.doFinal(input.getBytes(StandardCharsets.US_ASCII));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static String rsa(String alg, PrivateKey key, JsonObject claims) {
    String javaAlg = switch (alg) {
      case "RS256" -> "SHA256withRSA";
      case "RS384" -> "SHA384withRSA";
      case "RS512" -> "SHA512withRSA";
      default -> throw new IllegalArgumentException(alg);
    };
    String input = signingInput(alg, claims);
    return input + "." + b64(sign(javaAlg, key, input));
  }

  /** ES256: JWS wants R||S (32 bytes each), Java produces DER; convert. */
  static String es256(PrivateKey key, JsonObject claims) {
    String input = signingInput("ES256", claims);
    return input + "." + b64(derToJose(sign("SHA256withECDSA", key, input), 32));
  }

  static String es256Der(PrivateKey key, JsonObject claims) {
    String input = signingInput("ES256", claims);
    return input + "." + b64(sign("SHA256withECDSA", key, input));
  }

  static byte[] sign(String javaAlg, PrivateKey key, String input) {
    try {
      Signature s = Signature.getInstance(javaAlg);
      s.initSign(key);
      s.update(input.getBytes(StandardCharsets.US_ASCII));
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** DER SEQUENCE { INTEGER r, INTEGER s } to fixed-size big-endian r || s. */
  static byte[] derToJose(byte[] der, int size) {
    int i = 0;
    if (der[i++] != 0x30) throw new IllegalArgumentException("not a DER sequence");
    int seqLen = der[i++] & 0xff;
    if (seqLen == 0x81) i++; // long form, one length byte
    byte[] out = new byte[2 * size];
    for (int part = 0; part < 2; part++) {
      if (der[i++] != 0x02) throw new IllegalArgumentException("not a DER integer");
      int len = der[i++] & 0xff;
      byte[] n = Arrays.copyOfRange(der, i, i + len);
      i += len;
      int skip = 0;
      while (n.length - skip > size && n[skip] == 0) skip++;
      int copy = n.length - skip;
      System.arraycopy(n, skip, out, part * size + (size - copy), copy);
    }
    return out;
  }

  static KeyPair rsaKeyPair() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static KeyPair ecKeyPair(String curve) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec(curve));
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static String pem(PublicKey key) {
    String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded());
    return "-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----\n";
  }
}
