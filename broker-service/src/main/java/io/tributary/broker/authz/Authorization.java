package io.tributary.broker.authz;

import io.tributary.common.security.acl.Authorizer;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The ACL checks a broker API handler makes, declared on its class: every handler the broker
 * registers must carry one (a registry test fails otherwise), so an API cannot be served without
 * someone having decided how it is authorized. The declaration is what the handler checks with
 * the {@link Authorizer}, and what the authorization table of {@code docs/kafka-compatibility.md}
 * lists (checked by the same test). An empty {@link #value()} means no ACL applies, as in Kafka
 * for the APIs of the SASL exchange.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Authorization {

    /** The checks, any of which may apply to a request (see {@link #note()} for when). */
    Acl[] value();

    /** When each check applies and what a refusal answers, for the documentation. */
    String note();

    /** One operation on one resource type. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target({})
    @interface Acl {

        AclOperation operation();

        ResourceType resource();
    }
}
