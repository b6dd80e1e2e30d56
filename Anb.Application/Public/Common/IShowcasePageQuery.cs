namespace Anb.Application.Public.Common;

/// <summary>A page of a public list (videos, rankings): the paging and city filter they share.</summary>
public interface IShowcasePageQuery
{
    int Limit { get; }

    int Offset { get; }

    /// <summary>The city as the client wrote it; null or blank for every city.</summary>
    string? City { get; }
}
