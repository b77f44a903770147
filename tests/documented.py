"""The Ingestion API documentation's own example request body, as the tests compare it."""

INTERVIEWER_ID = "3f8e2b1c-6d4a-4e9f-8b7c-2a1d5e6f7a8b"

DOCUMENTED_EXAMPLE = {
    "interviewerId": INTERVIEWER_ID,
    "status": "shortlisted",
    "skills": ["nodejs", "aws", "mongodb"],
    "data": [
        {
            "name": "John Doe",
            "email": "john.doe@example.com",
            "skills": ["nodejs", "aws", "mongodb"],
            "additionalFields": {"Manual Score": 72, "isSynced": "true"},
            "metadata": {"External ID": "candidate_12345", "Phone": "+1-555-123-4567"},
        }
    ],
}
