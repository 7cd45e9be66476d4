/**
 * The broker's security: SCRAM credentials in ZooKeeper and the SASL mechanisms over them, the
 * SASL and SCRAM-credential APIs.
 */
package io.tributary.broker.security;
