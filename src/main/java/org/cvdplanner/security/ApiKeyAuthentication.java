package org.cvdplanner.security;

import java.util.EnumSet;
import java.util.Set;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** A request authenticated by an API key; its authorities are the key's scopes (admin: all). */
final class ApiKeyAuthentication extends AbstractAuthenticationToken {

    private final ApiKeyRecord key;

    ApiKeyAuthentication(ApiKeyRecord key) {
        super(effectiveScopes(key.scopes()).stream().map(s -> new SimpleGrantedAuthority(s.authority())).toList());
        this.key = key;
        setAuthenticated(true);
    }

    static Set<Scope> effectiveScopes(Set<Scope> scopes) {
        return scopes.contains(Scope.ADMIN) ? EnumSet.allOf(Scope.class) : scopes;
    }

    @Override
    public Object getCredentials() {
        return "";
    }

    @Override
    public ApiKeyRecord getPrincipal() {
        return key;
    }

    @Override
    public String getName() {
        return key.name();
    }
}
