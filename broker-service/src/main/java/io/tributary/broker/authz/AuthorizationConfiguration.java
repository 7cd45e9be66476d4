package io.tributary.broker.authz;

import io.tributary.broker.config.BrokerSecurityProperties;
import io.tributary.common.security.acl.AclStore;
import io.tributary.common.security.acl.Authorizer;
import io.tributary.common.security.acl.AuthorizerSettings;
import org.apache.curator.framework.CuratorFramework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The ACL store and the authorizer the handlers check. */
@Configuration(proxyBeanMethods = false)
class AuthorizationConfiguration {

    private static final Logger log = LoggerFactory.getLogger(AuthorizationConfiguration.class);

    @Bean(destroyMethod = "close")
    AclStore aclStore(CuratorFramework curator) {
        return new AclStore(curator);
    }

    @Bean
    Authorizer authorizer(BrokerSecurityProperties security, AclStore store) {
        AuthorizerSettings settings = security.authorizer();
        if (settings.enabled()) {
            log.info(
                    "ACL authorizer on: super users {}, allow.everyone.if.no.acl.found={}",
                    settings.superUsers(),
                    settings.allowEveryoneIfNoAclFound());
        }
        return Authorizer.of(settings, store::acls);
    }
}
