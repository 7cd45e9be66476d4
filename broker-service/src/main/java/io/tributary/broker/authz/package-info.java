/**
 * Authorization on the broker: the wiring of {@code common}'s ACL store and authorizer
 * ({@link io.tributary.common.security.acl}) and the {@link io.tributary.broker.authz.Authorization}
 * declaration every handler carries.
 */
package io.tributary.broker.authz;
