package org.cvdplanner.security;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What an API key may do. {@code admin} includes the other three. */
public enum Scope {
    /** GET everything, and computations that store nothing (predictions, single simulator runs). */
    READ,
    /** Create and delete data: datasets, uploads, proposals, validations, lab results. */
    WRITE,
    /** Start and cancel jobs (training, simulation campaigns), choose the default model. */
    TRAIN,
    /** Manage API keys and webhook subscriptions; implies every other scope. */
    ADMIN;

    /** The name used in the API and in configuration: lower case. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The Spring Security authority granted for this scope. */
    String authority() {
        return "SCOPE_" + value();
    }

    static Optional<Scope> parse(String value) {
        return Arrays.stream(values()).filter(s -> s.value().equals(value)).findFirst();
    }
}
