//! Pieces of the page shared by every route.

pub mod forms;
pub mod icons;
pub mod layout;
pub mod page_title;
