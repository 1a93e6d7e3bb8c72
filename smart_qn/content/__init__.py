"""Published content: notices, online-service links, indicators and their values, categories."""
