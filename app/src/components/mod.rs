pub mod answer_field;
pub mod forms;
pub mod icons;
pub mod issued_document;
pub mod layout;
pub mod page_signals;
pub mod page_title;
pub mod status;
