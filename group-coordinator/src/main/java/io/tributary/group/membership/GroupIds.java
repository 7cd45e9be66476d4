package io.tributary.group.membership;

/** The rule for valid group ids: non-empty, and short enough for the database's key column. */
public final class GroupIds {

    /** Length of the {@code group_id} columns. */
    public static final int MAX_LENGTH = 1024;

    private GroupIds() {}

    public static boolean isValid(String groupId) {
        return groupId != null && !groupId.isEmpty() && groupId.length() <= MAX_LENGTH;
    }
}
