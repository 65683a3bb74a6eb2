COMMENT ON COLUMN replication_tasks.outcome IS
    'COMPLETED: REPLICATED or ALREADY_REPLICATED; SKIPPED: FILTERED, REPLICA, NOT_IN_RULE or SUPERSEDED (found only after a newer version of the key was replicated)';
