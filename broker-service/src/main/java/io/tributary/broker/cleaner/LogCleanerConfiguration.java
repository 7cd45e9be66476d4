package io.tributary.broker.cleaner;

import io.tributary.storage.log.LogManager;
import io.tributary.storage.log.cleaner.LogCleaner;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Starts the log cleaner over the broker's logs; Spring stops it before the log manager closes them. */
@Configuration(proxyBeanMethods = false)
class LogCleanerConfiguration {

    /** Not named {@code logCleaner}: that is the health indicator's name, the key in {@code /actuator/health}. */
    @Bean(destroyMethod = "shutdown")
    LogCleaner logCleanerService(LogManager logManager, LogCleanerProperties properties) {
        return LogCleaner.start(logManager, properties.cleanerConfig(), Clock.systemUTC());
    }
}
