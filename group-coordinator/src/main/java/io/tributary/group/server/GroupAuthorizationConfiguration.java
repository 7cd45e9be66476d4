package io.tributary.group.server;

import io.tributary.common.security.acl.AclStore;
import io.tributary.common.security.acl.Authorizer;
import io.tributary.common.security.acl.AuthorizerSettings;
import io.tributary.group.config.GroupSecurityProperties;
import org.apache.curator.framework.CuratorFramework;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The ACLs the brokers keep in ZooKeeper, read here too, and the authorizer the group handlers
 * check them with ({@code tributary.group.security.authorizer.*}); off, everything is allowed.
 */
@Configuration(proxyBeanMethods = false)
class GroupAuthorizationConfiguration {

    @Bean(destroyMethod = "close")
    AclStore aclStore(CuratorFramework curator) {
        return new AclStore(curator);
    }

    @Bean
    Authorizer authorizer(GroupSecurityProperties security, AclStore store) {
        AuthorizerSettings settings = security.authorizer();
        return Authorizer.of(settings, store::acls);
    }
}
