package org.cvdplanner.webhook;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
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

/** Webhook subscriptions, their delivery log and manual redelivery (scope admin). */
@RestController
@RequestMapping("/api/v1/webhooks")
@Tag(name = "Webhooks", description = "Signed callbacks (Standard Webhooks) when jobs end and results are created")
class WebhookController {

    private final WebhookStore store;

    WebhookController(WebhookStore store) {
        this.store = store;
    }

    record CreateSubscriptionRequest(@NotBlank @Size(max = 2000) String url, @NotEmpty List<String> eventTypes,
            @Size(max = 500) String description) {
    }

    record CreatedSubscription(UUID id, String url, List<String> eventTypes, String description,
            @Schema(description = "Signing secret (Standard Webhooks). Shown only now.") String secret, Instant createdAt) {
    }

    record SubscriptionList(List<WebhookStore.Subscription> items) {
    }

    record DeliveryList(List<WebhookStore.Delivery> items) {
    }

    @PostMapping
    @Operation(summary = "Subscribe a URL to event types; the response holds the signing secret, shown only once")
    ResponseEntity<CreatedSubscription> create(@Valid @RequestBody CreateSubscriptionRequest request) {
        URI url = checkUrl(request.url().trim());
        List<String> types = request.eventTypes().stream().map(t -> t == null ? "" : t.trim().toLowerCase(Locale.ROOT))
                .distinct().toList();
        List<String> unknown = types.stream().filter(t -> !EventType.ALL.contains(t)).toList();
        if (!unknown.isEmpty()) {
            throw new ApiProblemException(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request",
                    "eventTypes: unknown event type " + unknown + "; known: " + EventType.ALL).with("field", "eventTypes");
        }
        UUID id = UUID.randomUUID();
        String secret = WebhookSignature.newSecret();
        store.insertSubscription(id, url.toString(), types, secret, request.description());
        var stored = store.subscription(id).orElseThrow();
        return ResponseEntity.created(URI.create("/api/v1/webhooks/" + id)).body(new CreatedSubscription(id,
                stored.url(), stored.eventTypes(), stored.description(), secret, stored.createdAt()));
    }

    @GetMapping
    @Operation(summary = "List subscriptions (never their secrets)")
    SubscriptionList list(@RequestParam(defaultValue = "false") boolean includeDisabled) {
        return new SubscriptionList(store.subscriptions(includeDisabled));
    }

    @GetMapping("/{id}")
    @Operation(summary = "One subscription")
    WebhookStore.Subscription get(@PathVariable UUID id) {
        return store.subscription(id).orElseThrow(() -> notFound(id));
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Unsubscribe: no new deliveries; pending ones are still attempted, the log is kept")
    ResponseEntity<Void> delete(@PathVariable UUID id) {
        if (!store.disable(id)) {
            throw notFound(id);
        }
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/{id}/deliveries")
    @Operation(summary = "Delivery log, newest first: state, attempts, and per attempt the status code and latency")
    DeliveryList deliveries(@PathVariable UUID id, @RequestParam(required = false) String state,
            @RequestParam(defaultValue = "50") @Min(1) @Max(1000) int limit) {
        store.subscription(id).orElseThrow(() -> notFound(id));
        String wanted = state == null ? null : state.toUpperCase(Locale.ROOT);
        if (wanted != null && !List.of("PENDING", "SUCCEEDED", "FAILED").contains(wanted)) {
            throw new ApiProblemException(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request",
                    "state: must be PENDING, SUCCEEDED or FAILED").with("field", "state");
        }
        return new DeliveryList(store.deliveries(id, wanted, limit));
    }

    @PostMapping("/deliveries/{deliveryId}/redeliver")
    @Operation(summary = "Send a delivery again now (also a succeeded or given-up one)")
    ResponseEntity<WebhookStore.Delivery> redeliver(@PathVariable long deliveryId) {
        if (!store.redeliver(deliveryId)) {
            throw new ApiProblemException(HttpStatus.NOT_FOUND, "webhook-delivery-not-found", "Delivery not found",
                    "no webhook delivery " + deliveryId).with("deliveryId", deliveryId);
        }
        return ResponseEntity.accepted().body(store.delivery(deliveryId).orElseThrow());
    }

    private static URI checkUrl(String value) {
        try {
            URI url = URI.create(value);
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && url.getHost() != null && url.getUserInfo() == null) {
                return url;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new ApiProblemException(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request",
                "url: must be an absolute http or https URL without credentials").with("field", "url");
    }

    private static ApiProblemException notFound(UUID id) {
        return new ApiProblemException(HttpStatus.NOT_FOUND, "webhook-not-found", "Webhook subscription not found",
                "no webhook subscription " + id).with("webhookId", id);
    }
}
