-- English names (issue 25 item 4): an English question is answered in English where an item
-- matches, from the item's English name and its key fields in English words. Optional: an item
-- without one is answered in Chinese. Departments too, for the "Department:" of that answer.
ALTER TABLE service_items ADD COLUMN name_en TEXT;
ALTER TABLE departments ADD COLUMN name_en TEXT;
