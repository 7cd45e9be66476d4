package io.tributary.broker.quota;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.apache.curator.framework.CuratorFramework;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The quota store, the rates measured against it, and the throttling around the handlers. */
@Configuration(proxyBeanMethods = false)
class QuotaConfiguration {

    @Bean(destroyMethod = "close")
    ClientQuotaStore clientQuotaStore(CuratorFramework curator) {
        return new ClientQuotaStore(curator);
    }

    @Bean
    ClientQuotaManager clientQuotaManager(
            ClientQuotaStore store, ClientQuotaProperties properties, MeterRegistry meters) {
        return new ClientQuotaManager(
                store::configs, properties.windowNum(), properties.windowSize().toMillis(), Clock.systemUTC(), meters);
    }

    @Bean
    QuotaThrottling quotaThrottling(ClientQuotaManager quotas) {
        return new QuotaThrottling(quotas);
    }
}
