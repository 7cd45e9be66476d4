/**
 * Authorization shared by the brokers and the group-coordinator: Kafka's ACL model (resource
 * patterns, operations with their implications, ALLOW/DENY, principals and hosts) in
 * {@link io.tributary.common.security.acl.AclRules}, the ACLs kept in ZooKeeper
 * ({@link io.tributary.common.security.acl.AclStore}) and the checks a request handler makes
 * ({@link io.tributary.common.security.acl.Authorizer}).
 */
package io.tributary.common.security.acl;
