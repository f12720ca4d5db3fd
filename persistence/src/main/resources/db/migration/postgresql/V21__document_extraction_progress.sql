-- A PDF is extracted in the background: the document is stored as EXTRACTING at once, and how far
-- the extraction got is kept here (percent; NULL once it is over).
ALTER TABLE knowledge_documents ADD COLUMN extracted_percent INTEGER;
