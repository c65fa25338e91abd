package org.cvdplanner.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Signing secrets at rest: sealed with AES-256-GCM under {@code secret-encryption-key} when one
 * is configured (a fresh 96-bit nonce each, so equal secrets seal differently), in clear
 * otherwise, with a warning at start-up. A stored value in clear ({@code whsec_…}) is always
 * read, so rows written before a key was set keep working until they are sealed at start-up.
 */
@Component
class WebhookSecrets {

    private static final Logger log = LoggerFactory.getLogger(WebhookSecrets.class);
    static final String SEALED_PREFIX = "aesgcm:v1:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    WebhookSecrets(WebhookProperties properties) {
        String configured = properties.secretEncryptionKey();
        if (configured == null || configured.isBlank()) {
            key = null;
            log.warn("Webhook signing secrets are stored in clear: set cvd-planner.webhooks.secret-encryption-key"
                    + " (base64 of 32 random bytes, e.g. `openssl rand -base64 32`) to seal them with AES-256-GCM");
            return;
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(configured.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("cvd-planner.webhooks.secret-encryption-key is not base64", e);
        }
        if (bytes.length != 32) {
            throw new IllegalStateException("cvd-planner.webhooks.secret-encryption-key must be 32 bytes (base64 of"
                    + " 32 random bytes), was " + bytes.length);
        }
        key = new SecretKeySpec(bytes, "AES");
    }

    boolean sealing() {
        return key != null;
    }

    /** What is stored for a secret: sealed when there is a key, else the secret itself. */
    String seal(String secret) {
        if (key == null) {
            return secret;
        }
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[NONCE_BYTES + sealed.length];
            System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
            System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
            return SEALED_PREFIX + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not seal a webhook secret", e);
        }
    }

    /**
     * The secret behind a stored value.
     *
     * @throws IllegalStateException when it is sealed and the configured key cannot open it
     *     (no key, or another one)
     */
    String open(String stored) {
        if (!stored.startsWith(SEALED_PREFIX)) {
            return stored;
        }
        if (key == null) {
            throw new IllegalStateException("the signing secret is sealed but no secret-encryption-key is configured");
        }
        try {
            byte[] in = Base64.getDecoder().decode(stored.substring(SEALED_PREFIX.length()));
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
            return new String(cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("the signing secret cannot be opened with the configured"
                    + " secret-encryption-key (another key sealed it)", e);
        }
    }
}
