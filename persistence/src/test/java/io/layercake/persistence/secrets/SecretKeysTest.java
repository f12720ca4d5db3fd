package io.layercake.persistence.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.layercake.config.Secret;
import io.layercake.config.SecretsSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The key: configured, or the data directory's key file, created owner-only on first start and read afterwards. */
class SecretKeysTest {

  @Test
  void theFirstStartCreatesAnOwnerOnlyKeyFileAndLaterStartsReadIt(@TempDir Path dataDir) throws IOException {
    SecretBox first = SecretKeys.box(SecretsSettings.keyFile(), dataDir.resolve("data"));
    Path file = dataDir.resolve("data").resolve("secrets.key");

    assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(Base64.getDecoder().decode(Files.readString(file).strip())).hasSize(32);
    SecretBox again = SecretKeys.box(SecretsSettings.keyFile(), dataDir.resolve("data"));
    assertThat(again.keyId()).isEqualTo(first.keyId());
    assertThat(again.open(first.seal("token", "here"), "here")).isEqualTo("token");
    try (var files = Files.list(dataDir.resolve("data"))) {
      assertThat(files.map(path -> path.getFileName().toString())).containsExactly("secrets.key");
    }
  }

  @Test
  void aKeyFileOthersCanReadIsMadeOwnerOnly(@TempDir Path dataDir) throws IOException {
    SecretBox created = SecretKeys.box(SecretsSettings.keyFile(), dataDir);
    Path file = dataDir.resolve("secrets.key");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

    SecretBox read = SecretKeys.box(SecretsSettings.keyFile(), dataDir);

    assertThat(read.keyId()).isEqualTo(created.keyId());
    assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
  }

  @Test
  void aConfiguredKeyIsUsedAndNoFileIsWritten(@TempDir Path dataDir) {
    byte[] key = new byte[32];
    key[0] = 7;
    SecretBox configured =
        SecretKeys.box(new SecretsSettings(Secret.of(Base64.getEncoder().encodeToString(key))), dataDir);

    assertThat(configured.keyId()).isEqualTo(new SecretBox(key).keyId());
    assertThat(dataDir.resolve("secrets.key")).doesNotExist();
  }

  @Test
  void aDamagedKeyFileStopsTheStartWithoutShowingIt(@TempDir Path dataDir) throws IOException {
    Files.writeString(dataDir.resolve("secrets.key"), "c2hvcnQ=\n");

    assertThatThrownBy(() -> SecretKeys.box(SecretsSettings.keyFile(), dataDir))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("must hold base64 of 32 bytes")
        .hasMessageNotContaining("c2hvcnQ");
  }
}
