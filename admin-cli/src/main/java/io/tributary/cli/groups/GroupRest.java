package io.tributary.cli.groups;

import io.tributary.cli.support.ClientOptions;
import io.tributary.cli.support.RestClient;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** The group-coordinator REST API as the {@code groups} verbs reach it ({@code --coordinator-url}). */
final class GroupRest {

    /** Who the CLI's resets are recorded as in the commit history. */
    static final String CLIENT_ID = "tributary-cli";

    private GroupRest() {}

    static RestClient client(ClientOptions options) {
        return options.restClient("is a group-coordinator running? see --coordinator-url");
    }

    static String groupUrl(ClientOptions options, String group) {
        return options.coordinatorUrl() + "/api/groups/" + encode(group);
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Empty strings shown as absent ({@code -}) in tables. */
    static String orNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
