-- A line's Seq is unique in its item and store (the engine numbers them
-- from the stock row's counter): a re-valuation finds its lines by it.
CREATE UNIQUE INDEX erp_inventory_lines_seq ON erp_inventory_lines (tenant_id, item, location, seq);
