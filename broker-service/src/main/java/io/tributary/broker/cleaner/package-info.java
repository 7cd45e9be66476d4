/**
 * The log cleaner's place in the broker: its settings ({@code tributary.broker.log-cleaner-*}),
 * the bean that starts it over the log manager, and its health and metrics. The cleaning itself
 * is the storage module's {@code io.tributary.storage.log.cleaner}.
 */
package io.tributary.broker.cleaner;
