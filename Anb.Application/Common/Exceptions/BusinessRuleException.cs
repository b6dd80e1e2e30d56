namespace Anb.Application.Common.Exceptions;

/// <summary>A well-formed request that a rule refuses (duplicate email, duplicate vote...): 400.</summary>
public sealed class BusinessRuleException(string message, Exception? innerException = null) : AppException(message, innerException);
