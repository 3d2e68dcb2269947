DROP INDEX IF EXISTS kb_search_document;
DROP TRIGGER IF EXISTS knowledge_article_search ON knowledge_article;
DROP FUNCTION IF EXISTS steward_article_search_tg();
DROP FUNCTION IF EXISTS steward_article_search(text, text, text, text, text, text);
ALTER TABLE knowledge_article DROP COLUMN IF EXISTS search_document;
