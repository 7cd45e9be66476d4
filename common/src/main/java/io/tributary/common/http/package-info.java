/**
 * Security of the services' HTTP endpoints (metadata-service and group-coordinator REST APIs and
 * Actuator): a Spring Security filter chain, on when {@code tributary.http.security.enabled},
 * that authenticates HTTP Basic logins against the SCRAM users in ZooKeeper and lets only super
 * users change state. Services that ship Spring Security get it by auto-configuration. Also how
 * the services call each other's HTTP endpoints ({@code tributary.http.client.*}): plain, or
 * {@code https://} trusting a Spring Boot SSL bundle.
 */
package io.tributary.common.http;
