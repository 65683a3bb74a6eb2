-- A deleted rule takes its queued tasks and scan state with it.
ALTER TABLE replication_tasks
    ADD CONSTRAINT replication_tasks_rule_fk FOREIGN KEY (tenant_id, rule_id) REFERENCES rules (tenant_id, id) ON DELETE CASCADE;
