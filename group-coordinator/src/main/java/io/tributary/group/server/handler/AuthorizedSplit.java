package io.tributary.group.server.handler;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The topics or groups of a request split by whether the principal may touch them, as Kafka's
 * broker splits them: the coordinator sees only the authorized ones, and the others are answered
 * with the authorization error (per partition for a topic, per group for a group).
 *
 * @param <T> a topic or group of the request
 */
record AuthorizedSplit<T>(List<T> authorized, List<T> refused) {

    static <T> AuthorizedSplit<T> of(Collection<T> items, Function<T, String> name, Predicate<String> allowed) {
        List<T> authorized = new ArrayList<>();
        List<T> refused = new ArrayList<>();
        for (T item : items) {
            (allowed.test(name.apply(item)) ? authorized : refused).add(item);
        }
        return new AuthorizedSplit<>(authorized, refused);
    }

    /** Group ids split by {@code allowed}. */
    static AuthorizedSplit<String> ofNames(Collection<String> names, Predicate<String> allowed) {
        return of(names, Function.identity(), allowed);
    }
}
