package io.tributary.common.security.acl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

class AclRulesTest {

    private static final String ALICE = "User:alice";
    private static final String HOST = "10.0.0.7";

    private static AclBinding acl(
            String name, PatternType pattern, String principal, String host, AclOperation op, AclPermissionType perm) {
        return new AclBinding(
                new ResourcePattern(ResourceType.TOPIC, name, pattern),
                new AccessControlEntry(principal, host, op, perm));
    }

    private static AclBinding allow(String name, PatternType pattern, AclOperation op) {
        return acl(name, pattern, ALICE, "*", op, AclPermissionType.ALLOW);
    }

    private static boolean may(List<AclBinding> acls, AclOperation op, String topic) {
        return AclRules.authorize(acls, ALICE, HOST, op, ResourceType.TOPIC, topic, false);
    }

    @Test
    void shouldDenyWhenNoAclAppliesUnlessAllowEveryoneIfNoAclFound() {
        assertThat(may(List.of(), AclOperation.READ, "orders")).isFalse();
        assertThat(AclRules.authorize(List.of(), ALICE, HOST, AclOperation.READ, ResourceType.TOPIC, "orders", true))
                .isTrue();
        // an ACL for someone else on the topic means "ACLs exist": no fallback to allow
        List<AclBinding> bobs = List.of(
                acl("orders", PatternType.LITERAL, "User:bob", "*", AclOperation.READ, AclPermissionType.ALLOW));
        assertThat(AclRules.authorize(bobs, ALICE, HOST, AclOperation.READ, ResourceType.TOPIC, "orders", true))
                .isFalse();
    }

    @Test
    void shouldMatchLiteralWildcardAndPrefixedPatterns() {
        assertThat(may(List.of(allow("orders", PatternType.LITERAL, AclOperation.READ)), AclOperation.READ, "orders"))
                .isTrue();
        assertThat(may(
                        List.of(allow("orders", PatternType.LITERAL, AclOperation.READ)),
                        AclOperation.READ,
                        "orders-eu"))
                .isFalse();
        assertThat(may(List.of(allow("*", PatternType.LITERAL, AclOperation.READ)), AclOperation.READ, "anything"))
                .isTrue();
        assertThat(may(
                        List.of(allow("orders", PatternType.PREFIXED, AclOperation.READ)),
                        AclOperation.READ,
                        "orders-eu"))
                .isTrue();
        assertThat(may(
                        List.of(allow("orders", PatternType.PREFIXED, AclOperation.READ)),
                        AclOperation.READ,
                        "payments"))
                .isFalse();
    }

    @Test
    void shouldImplyDescribeFromReadWriteDeleteAlterAndDescribeConfigsFromAlterConfigs() {
        for (AclOperation op :
                List.of(AclOperation.READ, AclOperation.WRITE, AclOperation.DELETE, AclOperation.ALTER)) {
            assertThat(may(List.of(allow("t", PatternType.LITERAL, op)), AclOperation.DESCRIBE, "t"))
                    .isTrue();
        }
        assertThat(may(
                        List.of(allow("t", PatternType.LITERAL, AclOperation.ALTER_CONFIGS)),
                        AclOperation.DESCRIBE_CONFIGS,
                        "t"))
                .isTrue();
        assertThat(may(List.of(allow("t", PatternType.LITERAL, AclOperation.DESCRIBE)), AclOperation.READ, "t"))
                .isFalse();
        assertThat(may(List.of(allow("t", PatternType.LITERAL, AclOperation.ALL)), AclOperation.WRITE, "t"))
                .isTrue();
    }

    @Test
    void shouldLetDenyWinOverAllow() {
        List<AclBinding> acls = List.of(
                allow("orders", PatternType.PREFIXED, AclOperation.ALL),
                acl("orders-eu", PatternType.LITERAL, "User:*", "*", AclOperation.WRITE, AclPermissionType.DENY));
        assertThat(may(acls, AclOperation.WRITE, "orders-eu")).isFalse();
        assertThat(may(acls, AclOperation.READ, "orders-eu")).isTrue();
        assertThat(may(acls, AclOperation.WRITE, "orders-us")).isTrue();
    }

    @Test
    void shouldApplyAnAclOnlyToItsHost() {
        List<AclBinding> acls =
                List.of(acl("t", PatternType.LITERAL, ALICE, "10.0.0.8", AclOperation.READ, AclPermissionType.ALLOW));
        assertThat(may(acls, AclOperation.READ, "t")).isFalse();
        assertThat(AclRules.authorize(acls, ALICE, "10.0.0.8", AclOperation.READ, ResourceType.TOPIC, "t", false))
                .isTrue();
    }
}
