-- An organization's knowledge library: uploaded documents and the text extracted from them.
-- tags: lowercase words separated by commas. status: READY, or FAILED with failure_reason.
CREATE TABLE knowledge_documents (
  document_id VARCHAR(64) PRIMARY KEY,
  org_id VARCHAR(64) NOT NULL,
  title VARCHAR(300) NOT NULL,
  tags VARCHAR(2000) NOT NULL,
  mime_type VARCHAR(100) NOT NULL,
  status VARCHAR(16) NOT NULL,
  failure_reason VARCHAR(1000),
  size_bytes BIGINT NOT NULL,
  text_content VARCHAR,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX knowledge_documents_org_updated ON knowledge_documents (org_id, updated_at);
