package dev.gyre.cli;

import dev.gyre.auth.TokenVerifier;
import dev.gyre.config.ConfigLoader;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The CLI commands and their output (spec/config.md §6). */
class CliTest {
  @TempDir
  Path dir;

  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private Path config(String json) throws Exception {
    Path p = dir.resolve("config.json");
    Files.writeString(p, json);
    return p;
  }

  @Test
  void gentokenPrintsAVerifiableTokenForTheConfiguredSecret() throws Exception {
    Path cfg = config("{\"token_hmac_secret_key\":\"s3cret\"}");
    Run r = run("gentoken", "-c", cfg.toString(), "-u", "alice");
    assertThat(r.code()).isZero();
    String[] lines = r.out().split("\n");
    assertThat(lines[0]).isEqualTo("HMAC SHA-256 JWT for user \"alice\" with expiration TTL 168h0m0s:");
    var verifier = new TokenVerifier(ConfigLoader.load(cfg, Map.of(), Map.of()).config().client().token(), false);
    assertThat(verifier.verifyConnect(lines[1], System.currentTimeMillis() / 1000).user()).isEqualTo("alice");

    Run quiet = run("gentoken", "-c", cfg.toString(), "-u", "bob", "-t", "-1", "-q");
    assertThat(quiet.out()).doesNotContain("\n").startsWith("eyJ");
    Run anon = run("gentoken", "-c", cfg.toString(), "-t", "60");
    assertThat(anon.out()).startsWith("HMAC SHA-256 JWT for anonymous user with expiration TTL 1m0s:");
    Run noExp = run("gentoken", "-c", cfg.toString(), "-u", "x", "-t", "-1");
    assertThat(noExp.out()).startsWith("HMAC SHA-256 JWT for user \"x\" without expiration:");
  }

  @Test
  void checktokenAcceptsValidAndRejectsOthers() throws Exception {
    Path cfg = config("{\"token_hmac_secret_key\":\"s3cret\"}");
    String token = run("gentoken", "-c", cfg.toString(), "-u", "alice", "-q").out();
    Run ok = run("checktoken", "-c", cfg.toString(), token);
    assertThat(ok.code()).isZero();
    assertThat(ok.out()).startsWith("valid token for user alice\npayload: {");
    assertThat(new JsonObject(ok.out().split("payload: ")[1].trim()).getString("sub")).isEqualTo("alice");

    Path other = dir.resolve("other.json");
    Files.writeString(other, "{\"token_hmac_secret_key\":\"different\"}");
    Run bad = run("checktoken", "-c", other.toString(), token);
    assertThat(bad.code()).isEqualTo(1);
    assertThat(bad.err()).startsWith("error: token with algorithm HS256 and claims {").contains("has error:");
    Run missing = run("checktoken", "-c", cfg.toString());
    assertThat(missing.code()).isEqualTo(1);
    assertThat(missing.err()).contains("provide token to check");
  }

  @Test
  void gensubtokenNeedsAChannel() throws Exception {
    Path cfg = config("{\"token_hmac_secret_key\":\"s3cret\"}");
    assertThat(run("gensubtoken", "-c", cfg.toString(), "-u", "a").err()).isEqualTo("error: channel is required\n");
    Run r = run("gensubtoken", "-c", cfg.toString(), "-u", "a", "-s", "$chat:x");
    assertThat(r.out()).startsWith("HMAC SHA-256 JWT for user \"a\" and channel \"$chat:x\" with expiration TTL");
    String token = r.out().split("\n")[1];
    Run check = run("checksubtoken", "-c", cfg.toString(), token);
    assertThat(check.out()).startsWith("valid subscription token for user \"a\" and channel \"$chat:x\"");
  }

  @Test
  void checkconfigExitsOneWithTheReason() throws Exception {
    Path good = config("{\"token_hmac_secret_key\":\"k\",\"namespaces\":[{\"name\":\"chat\"}]}");
    Run ok = run("checkconfig", "-c", good.toString());
    assertThat(ok.code()).isZero();
    assertThat(ok.out()).isEmpty();

    Files.writeString(good, "{\"token_hmac_secret_key\":\"k\",\"namespaces\":[{\"name\":\"chat\",\"history_size\":10}]}");
    Run noTtl = run("checkconfig", "-c", good.toString());
    assertThat(noTtl.code()).isEqualTo(1);
    assertThat(noTtl.err()).contains("channel.namespaces[0]").contains("history ttl");

    Files.writeString(good, "{\"token_hmac_secret_key\":\"k\",\"ping_interval\":\"1d\"}");
    assertThat(run("checkconfig", "-c", good.toString()).err()).contains("client.ping_interval");

    Files.writeString(good, "{not json");
    Run broken = run("checkconfig", "-c", good.toString());
    assertThat(broken.code()).isEqualTo(1);
    assertThat(broken.err()).contains("invalid JSON");

    Files.writeString(good, "{\"api_key\":\"k\"}");
    Run noKey = run("checkconfig", "-c", good.toString());
    assertThat(noKey.code()).isEqualTo(1);
    assertThat(noKey.err()).contains("client.token.hmac_secret_key");

    Files.writeString(good, "{\"token_hmac_secret_key\":\"k\",\"client_insecure\":true}");
    Run insecure = run("checkconfig", "-c", good.toString());
    assertThat(insecure.code()).isEqualTo(1);
    assertThat(insecure.err()).contains("client.insecure").contains("--dev");
    assertThat(run("checkconfig", "-c", good.toString(), "--dev").code()).isZero();
    Files.writeString(good, "{\"token_hmac_secret_key\":\"k\",\"api_insecure\":true,\"dev\":true}");
    assertThat(run("checkconfig", "-c", good.toString()).code()).isZero();
    Files.writeString(good, "{\"token_hmac_secret_key\":\"k\",\"admin\":{\"insecure\":true}}");
    assertThat(run("checkconfig", "-c", good.toString()).err()).contains("admin.insecure");

    Files.writeString(good, "{\"token_hmac_secret_key\":\"k\",\"bogus_key\":1}");
    assertThat(run("checkconfig", "-c", good.toString()).code()).isZero();
    Run strict = run("checkconfig", "-c", good.toString(), "--strict");
    assertThat(strict.code()).isEqualTo(1);
    assertThat(strict.err()).contains("unknown keys in config: bogus_key");

    assertThat(run("checkconfig", "-c", dir.resolve("nope.json").toString()).code()).isEqualTo(1);
  }

  @Test
  void genconfigWritesRandomSecretsAndRefusesToOverwrite() throws Exception {
    Path out = dir.resolve("new.json");
    assertThat(run("genconfig", "-c", out.toString()).code()).isZero();
    JsonObject cfg = new JsonObject(Files.readString(out));
    String secret = cfg.getJsonObject("client").getJsonObject("token").getString("hmac_secret_key");
    assertThat(secret).hasSizeGreaterThan(30);
    assertThat(cfg.getJsonObject("http_api").getString("key")).hasSizeGreaterThan(30).isNotEqualTo(secret);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out))).isEqualTo("rw-------");
    assertThat(run("checkconfig", "-c", out.toString()).code()).isZero();

    Path other = dir.resolve("other.json");
    run("genconfig", "-c", other.toString());
    assertThat(new JsonObject(Files.readString(other)).getJsonObject("http_api").getString("key"))
        .isNotEqualTo(cfg.getJsonObject("http_api").getString("key"));

    Run again = run("genconfig", "-c", out.toString());
    assertThat(again.code()).isEqualTo(1);
    assertThat(again.err()).isEqualTo("error: output config file already exists: " + out + "\n");

    Path yaml = dir.resolve("new.yaml");
    assertThat(run("genconfig", "-c", yaml.toString()).code()).isZero();
    assertThat(Files.readString(yaml)).contains("hmac_secret_key:");

    Path toml = dir.resolve("new.toml");
    assertThat(run("genconfig", "-c", toml.toString()).code()).isZero();
    assertThat(Files.readString(toml)).contains("hmac_secret_key");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(toml))).isEqualTo("rw-------");
    assertThat(run("checkconfig", "-c", toml.toString()).code()).isZero();
    assertThat(run("genconfig", "-c", dir.resolve("new.ini").toString()).err())
        .contains("must have .json, .yaml, .yml or .toml extension");
  }

  @Test
  void versionAndUnknownCommand() {
    assertThat(run("version").out()).startsWith("Gyre v");
    Run unknown = run("frobnicate");
    assertThat(unknown.code()).isEqualTo(1);
    assertThat(unknown.err()).contains("unknown command");
    assertThat(run("gentoken", "--no-such-flag").err()).contains("unknown flag");
  }
}
