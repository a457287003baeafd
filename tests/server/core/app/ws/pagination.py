"""Shared payload bases."""

from pydantic import BaseModel, Field

MAX_PAGE_SIZE = 100


class PaginatedWsSearch(BaseModel):
    page: int = Field(1, ge=1)
    page_size: int = Field(12, ge=1, le=MAX_PAGE_SIZE)
