package org.cvdplanner.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Base64;

import org.junit.jupiter.api.Test;

/** Signing secrets at rest: sealed with AES-GCM under the configured key, in clear without one. */
class WebhookSecretsTests {

    static WebhookSecrets with(String key) {
        return new WebhookSecrets(new WebhookProperties(true, Duration.ofSeconds(1), 200, 32, Duration.ofSeconds(10),
                Duration.ofSeconds(5), Duration.ofHours(1), Duration.ofHours(24), Duration.ofSeconds(2), key));
    }

    static String key(int fill) {
        byte[] bytes = new byte[32];
        java.util.Arrays.fill(bytes, (byte) fill);
        return Base64.getEncoder().encodeToString(bytes);
    }

    @Test
    void sealedSecretsOpenOnlyWithTheirKey() {
        WebhookSecrets secrets = with(key(7));
        String secret = WebhookSignature.newSecret();
        String sealed = secrets.seal(secret);
        assertThat(sealed).startsWith(WebhookSecrets.SEALED_PREFIX).doesNotContain(secret.substring(6));
        assertThat(secrets.seal(secret)).as("a fresh nonce each time").isNotEqualTo(sealed);
        assertThat(secrets.open(sealed)).isEqualTo(secret);
        // a value stored in clear before the key was set is still read
        assertThat(secrets.open(secret)).isEqualTo(secret);
        assertThatThrownBy(() -> with(key(8)).open(sealed)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> with(null).open(sealed)).isInstanceOf(IllegalStateException.class);
        String tampered = sealed.substring(0, sealed.length() - 4) + (sealed.endsWith("AAA=") ? "BBB=" : "AAA=");
        assertThatThrownBy(() -> secrets.open(tampered)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void withoutAKeySecretsStayInClearAndABadKeyStopsTheStart() {
        assertThat(with(null).seal("whsec_abc")).isEqualTo("whsec_abc");
        assertThat(with(" ").sealing()).isFalse();
        assertThatThrownBy(() -> with("not base64!")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> with(Base64.getEncoder().encodeToString(new byte[16])))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("32 bytes");
    }
}
