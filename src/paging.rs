//! Where a page of a long list sits among all its pages (the archive, a host's topics).

use serde::Serialize;

/// Where a list page sits among all pages.
#[derive(Debug, Clone, Serialize)]
pub struct Paging {
    pub page: i64,
    pub per_page: i64,
    pub total: i64,
    pub pages: i64,
}

impl Paging {
    /// Page `page` of `total` items, `per_page` a page; an empty list has one (empty) page.
    pub fn new(page: i64, per_page: i64, total: i64) -> Self {
        Self {
            page,
            per_page,
            total,
            pages: ((total + per_page - 1) / per_page).max(1),
        }
    }

    /// How many items come before this page.
    pub fn offset(&self) -> i64 {
        (self.page - 1) * self.per_page
    }

    /// The previous page's number, if any.
    pub fn previous(&self) -> Option<i64> {
        (self.page > 1).then(|| self.page - 1)
    }

    /// The next page's number, if any.
    pub fn next(&self) -> Option<i64> {
        (self.page < self.pages).then(|| self.page + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_round_up_and_an_empty_list_has_one() {
        assert_eq!(Paging::new(1, 20, 0).pages, 1);
        assert_eq!(Paging::new(1, 20, 20).pages, 1);
        assert_eq!(Paging::new(1, 20, 21).pages, 2);
        let last = Paging::new(2, 20, 21);
        assert_eq!(
            (last.previous(), last.next(), last.offset()),
            (Some(1), None, 20)
        );
    }
}
