package io.layercake.persistence.secrets;

import io.layercake.config.SecretsSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key that encrypts stored credentials: the configured one ({@code layercake.secrets.key}), or else the
 * data directory's {@code secrets.key}, created with 32 random bytes and owner-only permissions (rw-------)
 * on first start and read afterwards. The key is never logged.
 */
public final class SecretKeys {
  /** The key file's name in the data directory. */
  public static final String FILE = "secrets.key";

  private static final Logger log = LoggerFactory.getLogger(SecretKeys.class);
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

  private SecretKeys() {}

  /** The box for this node's key. */
  public static SecretBox box(SecretsSettings settings, Path dataDir) {
    if (!settings.key().isEmpty()) {
      return new SecretBox(Base64.getDecoder().decode(settings.key().reveal().strip()));
    }
    return new SecretBox(readOrCreate(dataDir.resolve(FILE)));
  }

  /** The key in {@code file}, created first (owner-only) when there is none. */
  static byte[] readOrCreate(Path file) {
    try {
      if (!Files.exists(file)) {
        create(file);
      }
      ownerOnly(file);
      byte[] key = Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).strip());
      if (key.length != 32) {
        throw new IllegalStateException(file + " must hold base64 of 32 bytes, it holds " + key.length + " bytes");
      }
      return key;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the secrets key file " + file, e);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(file + " must hold base64 of 32 bytes, and does not");
    }
  }

  /** Written to a temporary file that is owner-only from its creation, then renamed, so no one ever sees half a key. */
  private static void create(Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    Path partial = file.resolveSibling(FILE + ".partial-" + ProcessHandle.current().pid());
    if (posix(file)) {
      Files.deleteIfExists(partial);
      Files.createFile(partial, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    }
    Files.writeString(partial, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.US_ASCII);
    try {
      Files.move(partial, file);
      log.info("Created the secrets key file {} (owner-only); back it up with the database: "
          + "stored provider credentials cannot be read without it", file);
    } catch (FileAlreadyExistsException e) {
      Files.deleteIfExists(partial); // another process created it first: use that one
    }
  }

  private static void ownerOnly(Path file) throws IOException {
    if (!posix(file)) {
      file.toFile().setReadable(false, false);
      file.toFile().setReadable(true, true);
      file.toFile().setWritable(false, false);
      file.toFile().setWritable(true, true);
      return;
    }
    Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
    if (!OWNER_ONLY.containsAll(permissions)) {
      log.warn("The secrets key file {} was readable by others ({}); it is owner-only (rw-------) now", file,
          PosixFilePermissions.toString(permissions));
      Files.setPosixFilePermissions(file, OWNER_ONLY);
    }
  }

  private static boolean posix(Path file) {
    return Files.getFileAttributeView(file.toAbsolutePath().getParent(), PosixFileAttributeView.class) != null;
  }
}
