package io.tributary.common.http;

import io.tributary.common.security.ScramPasswordVerifier;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * Authenticates HTTP Basic logins against the users' SCRAM credentials in ZooKeeper (the ones
 * {@code AlterUserScramCredentials} writes), so the HTTP APIs know the same users and passwords as
 * the Kafka listeners. A super user gets {@link #SUPER_USER}, every user {@link #USER}.
 * Thread-safe.
 */
final class ScramAuthenticationProvider implements AuthenticationProvider {

    static final String USER = "ROLE_USER";
    static final String SUPER_USER = "ROLE_SUPER_USER";

    private static final Logger LOG = LoggerFactory.getLogger(ScramAuthenticationProvider.class);

    private final ScramPasswordVerifier verifier;
    private final Set<String> superUsers;

    ScramAuthenticationProvider(ScramPasswordVerifier verifier, Set<String> superUsers) {
        this.verifier = verifier;
        this.superUsers = Set.copyOf(superUsers);
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        String user = authentication.getName();
        Object credentials = authentication.getCredentials();
        boolean valid;
        try {
            valid = credentials != null && verifier.verify(user, credentials.toString());
        } catch (IllegalStateException e) {
            throw new AuthenticationServiceException(e.getMessage(), e);
        }
        if (!valid) {
            LOG.info("HTTP login of user {} refused: unknown user or wrong password", user);
            throw new BadCredentialsException("Authentication failed for user " + user);
        }
        List<SimpleGrantedAuthority> roles = superUsers.contains(user)
                ? List.of(new SimpleGrantedAuthority(USER), new SimpleGrantedAuthority(SUPER_USER))
                : List.of(new SimpleGrantedAuthority(USER));
        return UsernamePasswordAuthenticationToken.authenticated(user, null, roles);
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }
}
