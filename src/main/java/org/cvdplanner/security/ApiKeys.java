package org.cvdplanner.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.springframework.stereotype.Service;

/**
 * Creates, checks and revokes API keys. A key is {@code cvdp_} followed by 256 random bits
 * (base64url); only its SHA-256 is stored. Public so the demo can give itself a key.
 */
@Service
public class ApiKeys {

    static final String KEY_PREFIX = "cvdp_";
    private static final int PREFIX_SHOWN = 12;

    private final ApiKeyRepository repository;
    private final SecurityProperties properties;
    private final SecureRandom random = new SecureRandom();
    private final Clock clock = Clock.systemUTC();

    ApiKeys(ApiKeyRepository repository, SecurityProperties properties) {
        this.repository = repository;
        this.properties = properties;
    }

    /**
     * A short-lived key for a client inside the service that calls its own API (the demo);
     * empty when security is off and no key is needed.
     */
    public Optional<String> internalKey(String name, Duration lifetime, Scope... scopes) {
        if (!properties.enabled()) {
            return Optional.empty();
        }
        return Optional.of(issue(name, List.of(scopes), clock.instant().plus(lifetime)).key());
    }

    /** Creates a key; the returned value is the only place the key itself appears. */
    public IssuedApiKey issue(String name, Collection<Scope> scopes, Instant expiresAt) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String key = KEY_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        return store(name, key, scopes, expiresAt, false);
    }

    /** Stores a key chosen elsewhere (the bootstrap key from configuration), unless stored already. */
    void ensureStored(String name, String key, Collection<Scope> scopes) {
        if (repository.findByHash(hash(key)).isEmpty()) {
            store(name, key, scopes, null, true);
        }
    }

    private IssuedApiKey store(String name, String key, Collection<Scope> scopes, Instant expiresAt, boolean bootstrap) {
        UUID id = UUID.randomUUID();
        Set<Scope> set = scopes.isEmpty() ? EnumSet.noneOf(Scope.class) : EnumSet.copyOf(scopes);
        String prefix = key.substring(0, Math.min(PREFIX_SHOWN, key.length()));
        repository.insert(id, name, prefix, hash(key), set, expiresAt, bootstrap);
        ApiKeyRecord stored = repository.find(id).orElseThrow();
        return new IssuedApiKey(id, name, set.stream().map(Scope::value).toList(), key, prefix, stored.createdAt(),
                expiresAt);
    }

    /** Why a presented key was refused, or the key's record when it is usable. */
    sealed interface Check permits Valid, Refused {
    }

    record Valid(ApiKeyRecord key) implements Check {
    }

    record Refused(String reason) implements Check {
    }

    Check check(String presented) {
        Optional<ApiKeyRecord> found = repository.findByHash(hash(presented));
        if (found.isEmpty()) {
            return new Refused("the API key is not known");
        }
        ApiKeyRecord key = found.get();
        if (key.revoked()) {
            return new Refused("the API key was revoked");
        }
        if (key.expired(clock.instant())) {
            return new Refused("the API key expired at " + key.expiresAt());
        }
        repository.touch(key.id());
        return new Valid(key);
    }

    List<ApiKeyRecord> list(boolean includeRevoked) {
        return repository.list(includeRevoked);
    }

    Optional<ApiKeyRecord> find(UUID id) {
        return repository.find(id);
    }

    boolean revoke(UUID id) {
        return repository.revoke(id);
    }

    boolean anyUsableAdminKey() {
        return repository.anyUsableAdminKey();
    }

    static String hash(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
