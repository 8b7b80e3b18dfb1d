"""The period brief sent upward (工作简报): figures -> text -> a .docx laid out per GB/T 9704."""
