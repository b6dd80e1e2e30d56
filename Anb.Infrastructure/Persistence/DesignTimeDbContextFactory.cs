using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Anb.Infrastructure.Persistence;

/// <summary>Lets `dotnet ef migrations add` build the model without a host or a database.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<AnbDbContext>
{
    public AnbDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<AnbDbContext>();
        PersistenceSetup.Configure(options, "Host=127.0.0.1;Database=anb_design");
        return new AnbDbContext(options.Options);
    }
}
