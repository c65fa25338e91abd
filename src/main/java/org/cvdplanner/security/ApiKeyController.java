package org.cvdplanner.security;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Size;
import org.cvdplanner.system.ApiProblemException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Creating, listing and revoking API keys (scope admin). */
@RestController
@RequestMapping("/api/v1/api-keys")
@Tag(name = "API keys", description = "Who may call the API; scopes read, write, train, admin")
class ApiKeyController {

    private final ApiKeys keys;

    ApiKeyController(ApiKeys keys) {
        this.keys = keys;
    }

    record CreateApiKeyRequest(@NotBlank @Size(max = 100) String name, @NotEmpty List<String> scopes,
            Instant expiresAt) {
    }

    record ApiKeyView(UUID id, String name, String prefix, List<String> scopes, Instant createdAt, Instant lastUsedAt,
            Instant expiresAt, Instant revokedAt, boolean bootstrap) {

        static ApiKeyView of(ApiKeyRecord key) {
            return new ApiKeyView(key.id(), key.name(), key.prefix(), key.scopes().stream().map(Scope::value).toList(),
                    key.createdAt(), key.lastUsedAt(), key.expiresAt(), key.revokedAt(), key.bootstrap());
        }
    }

    record ApiKeyList(List<ApiKeyView> items) {
    }

    @PostMapping
    @Operation(summary = "Create a key; the response is the only time the key itself is shown")
    ResponseEntity<IssuedApiKey> create(@Valid @RequestBody CreateApiKeyRequest request) {
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        List<String> unknown = new ArrayList<>();
        for (String value : request.scopes()) {
            Scope.parse(value == null ? "" : value.trim()).ifPresentOrElse(scopes::add, () -> unknown.add(value));
        }
        if (!unknown.isEmpty()) {
            throw new ApiProblemException(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request",
                    "scopes: unknown scope " + unknown + "; known scopes are read, write, train, admin")
                    .with("field", "scopes");
        }
        if (request.expiresAt() != null && !request.expiresAt().isAfter(Instant.now())) {
            throw new ApiProblemException(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request",
                    "expiresAt: must be in the future").with("field", "expiresAt");
        }
        IssuedApiKey issued = keys.issue(request.name().trim(), scopes, request.expiresAt());
        return ResponseEntity.created(URI.create("/api/v1/api-keys/" + issued.id())).body(issued);
    }

    @GetMapping
    @Operation(summary = "List keys (never the keys themselves)")
    ApiKeyList list(@RequestParam(defaultValue = "false") boolean includeRevoked) {
        return new ApiKeyList(keys.list(includeRevoked).stream().map(ApiKeyView::of).toList());
    }

    @GetMapping("/{id}")
    @Operation(summary = "One key's name, scopes and times")
    ApiKeyView get(@PathVariable UUID id) {
        return keys.find(id).map(ApiKeyView::of).orElseThrow(() -> notFound(id));
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Revoke a key: it is refused (401) from now on; the record stays for the audit trail")
    ResponseEntity<Void> revoke(@PathVariable UUID id) {
        if (!keys.revoke(id)) {
            throw notFound(id);
        }
        return ResponseEntity.noContent().build();
    }

    private static ApiProblemException notFound(UUID id) {
        return new ApiProblemException(HttpStatus.NOT_FOUND, "api-key-not-found", "API key not found",
                "no API key " + id).with("apiKeyId", id);
    }
}
