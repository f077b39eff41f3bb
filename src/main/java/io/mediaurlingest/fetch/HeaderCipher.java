package io.mediaurlingest.fetch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.core.type.TypeReference;
import io.mediaurlingest.Json;

/**
 * Keeps a job's source headers sealed at rest: AES-256-GCM under the key in
 * ingest.secrets.key-file (made, readable by its owner only, on first start when absent),
 * with the job id as associated data so that a sealed value cannot be moved to another job.
 * Sealed values read "v1:" + base64(12-byte nonce, ciphertext and tag).
 */
public final class HeaderCipher {

    private static final String PREFIX = "v1:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    HeaderCipher(byte[] key) {
        if (key.length != 32) {
            throw new IllegalStateException("the secrets key must be 32 bytes (base64 in ingest.secrets.key-file)");
        }
        this.key = new SecretKeySpec(key, "AES");
    }

    /** The key in the file, or a new one written there (owner read/write only) when the file is absent. */
    public static HeaderCipher fromKeyFile(Path file) throws IOException {
        if (!Files.exists(file)) {
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path fresh = Files.createTempFile(file.toAbsolutePath().getParent(), "key", ".tmp");
            try {
                Files.setPosixFilePermissions(fresh, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // a file system without POSIX permissions: the data directory's own access rules apply
            }
            Files.writeString(fresh, Base64.getEncoder().encodeToString(key) + "\n");
            Files.move(fresh, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        try {
            return new HeaderCipher(Base64.getDecoder().decode(Files.readString(file).trim()));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(file + " does not hold a base64 key", e);
        }
    }

    public String seal(String jobId, Map<String, String> headers) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(jobId.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(Json.write(headers).getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[NONCE_BYTES + sealed.length];
            System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
            System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
            return PREFIX + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("sealing source headers failed", e);
        }
    }

    public Map<String, String> open(String jobId, String sealed) {
        if (sealed == null || !sealed.startsWith(PREFIX)) {
            throw new IllegalStateException("not sealed source headers");
        }
        try {
            byte[] in = Base64.getDecoder().decode(sealed.substring(PREFIX.length()));
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
            cipher.updateAAD(jobId.getBytes(StandardCharsets.UTF_8));
            byte[] plain = cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES);
            return Json.MAPPER.readValue(plain, new TypeReference<LinkedHashMap<String, String>>() { });
        } catch (GeneralSecurityException | IOException | IllegalArgumentException e) {
            // another key (ingest.secrets.key-file changed) or a value not sealed for this job
            throw new IllegalStateException("the source headers of job " + jobId + " cannot be opened with this key", e);
        }
    }
}
