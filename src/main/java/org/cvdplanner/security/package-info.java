/**
 * Who may call the API: API keys with scopes (read, write, train, admin), checked by Spring
 * Security on every request except health and the API's own documentation. Stateless: no
 * sessions, no cookies, so no CSRF exposure. See docs/security.md.
 */
package org.cvdplanner.security;
